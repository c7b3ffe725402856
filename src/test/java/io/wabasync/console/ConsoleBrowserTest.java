package io.wabasync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wabasync.testing.Browser;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;
import io.wabasync.testing.MetaWebhooks;

/**
 * The console in a real browser (headless Chromium): what a person signing in sees and does, the
 * live update of a status Meta changes, the preview, the form, escaping and a phone-width screen.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    @InjectFakeMeta
    FakeMeta meta;

    @TestHTTPResource("/console")
    URL console;

    Browser browser;
    WebDriver page;

    @BeforeAll
    void openTheBrowser() {
        browser = new Browser(1280, 900);
        page = browser.driver();
    }

    @AfterAll
    void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void signInListFilterAndSeeAStatusChangeArriveLive() {
        Connected c = Fixtures.syncedChannel(meta, List.of(
                FakeMeta.realisticTemplate(8101, 0, "APPROVED"),
                FakeMeta.realisticTemplate(8102, 9, "PENDING"),
                FakeMeta.realisticTemplate(8103, 18, "REJECTED"),
                FakeMeta.realisticTemplate(8104, 27, "APPROVED"),
                FakeMeta.template("8105", "order_update", "en_US", "PENDING", "UTILITY")));
        signIn(c.workspace().apiKey());
        assertThat(rows()).hasSize(5);

        new Select(page.findElement(By.id("f-status"))).selectByVisibleText("PENDING");
        page.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("status=PENDING"));
        assertThat(rows()).extracting(row -> row.findElement(By.cssSelector("[data-field=status]")).getText())
                .containsOnly("PENDING").hasSize(2);

        page.findElement(By.linkText("Clear")).click();
        awaitLive();
        browser.script("window.notReloaded = true;");
        WebElement orderUpdate = page.findElement(By.xpath("//tr[td/a[text()='order_update']]"));
        assertThat(orderUpdate.findElement(By.cssSelector("[data-field=status]")).getText()).isEqualTo("PENDING");

        MetaWebhooks.post(MetaWebhooks.delivery(c.wabaId(), Instant.now(),
                MetaWebhooks.statusChange("8105", "order_update", "en_US", "APPROVED", null))).statusCode(200);
        long posted = System.nanoTime();
        browser.within(Duration.ofSeconds(1)).until(driver -> "APPROVED".equals(
                orderUpdate.findElement(By.cssSelector("[data-field=status]")).getText()));
        long shownAfterMillis = (System.nanoTime() - posted) / 1_000_000;
        assertThat(shownAfterMillis).as("shown within a second of Meta's delivery").isLessThan(1000);
        System.out.println("Console: status change shown " + shownAfterMillis + " ms after Meta's delivery was accepted");
        assertThat(orderUpdate.findElements(By.cssSelector(".changed-mark"))).as("marked as just changed").isNotEmpty();
        assertThat(browser.script("return window.notReloaded === true;")).as("no reload").isEqualTo(true);
        browser.screenshot("templates");
    }

    @Test
    void aTemplatesPageShowsItAsWhatsAppDoesWithMetasReasonAndItsHistory() {
        ObjectNode rejected = FakeMeta.realisticTemplate(8201, 1, "REJECTED");
        rejected.put("rejected_reason", "INVALID_FORMAT");
        Connected c = Fixtures.syncedChannel(meta, List.of(rejected));
        signIn(c.workspace().apiKey());
        page.findElement(By.cssSelector("tr[data-template-id] td a")).click();
        browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("preview")));
        WebElement bubble = page.findElement(By.id("preview"));
        assertThat(bubble.findElement(By.className("wa-header")).getText()).isEqualTo("Hello Maria, news from ACME");
        assertThat(bubble.findElement(By.className("wa-body")).getText())
                .startsWith("Hi Maria, your order #10001 is on its way and should arrive on Friday.");
        assertThat(bubble.findElement(By.className("wa-footer")).getText()).isEqualTo("Reply STOP to opt out");
        assertThat(page.findElements(By.className("wa-button"))).extracting(WebElement::getText)
                .containsExactly("Track order", "Open app (https://example.com/o/{{1}})");
        assertThat(page.findElement(By.className("advice")).getText()).contains("Rejected: invalid format",
                "What to do:");
        assertThat(page.findElements(By.cssSelector(".timeline li"))).isNotEmpty();
        browser.screenshot("template");
    }

    @Test
    void createATemplateThroughTheFormBreakingARuleFirst() {
        Connected c = Fixtures.connectedChannel(meta);
        signIn(c.workspace().apiKey());
        page.findElement(By.linkText("New template")).click();
        page.findElement(By.id("name")).sendKeys("Order Shipped");
        page.findElement(By.id("body.text")).sendKeys("Hi {{1}}, your order has shipped.");
        page.findElement(By.cssSelector("form.template-form button[type=submit]")).click();

        WebElement nameErrors = browser.within(Duration.ofSeconds(5))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("name-errors")));
        assertThat(nameErrors.getText()).contains("lowercase letters");
        assertThat(page.findElement(By.id("body.variables-errors")).getText()).contains("one example value per placeholder");
        assertThat(page.findElement(By.id("name")).getAttribute("aria-describedby")).contains("name-errors");
        assertThat(meta.waba(c.wabaId()).createRequests()).as("nothing sent to Meta").isZero();
        browser.screenshot("form-errors");

        WebElement name = page.findElement(By.id("name"));
        name.clear();
        name.sendKeys("order_shipped");
        page.findElement(By.id("body.variables")).sendKeys("Maria");
        page.findElement(By.cssSelector("form.template-form button[type=submit]")).click();
        browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.urlMatches("/console/templates/[0-9a-f-]{36}"));
        assertThat(page.findElement(By.cssSelector("h1")).getText()).startsWith("order_shipped");
        assertThat(page.findElement(By.cssSelector(".heading [data-field=status]")).getText()).isEqualTo("PENDING");
        assertThat(page.findElement(By.className("wa-body")).getText()).isEqualTo("Hi Maria, your order has shipped.");
        assertThat(meta.waba(c.wabaId()).createRequests()).isEqualTo(1);
    }

    @Test
    void markupFromMetaIsShownAsTextAndNeverRuns() {
        ObjectNode hostile = FakeMeta.template("8401", "hostile_body", "en_US", "APPROVED", "MARKETING");
        ((ObjectNode) hostile.withArray("components").get(1)).put("text",
                "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> {{1}}");
        Connected c = Fixtures.syncedChannel(meta, List.of(hostile));
        signIn(c.workspace().apiKey());
        page.findElement(By.linkText("hostile_body")).click();
        WebElement body = browser.within(Duration.ofSeconds(5))
                .until(ExpectedConditions.visibilityOfElementLocated(By.className("wa-body")));
        assertThat(body.getText()).isEqualTo("<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> Maria");
        assertThat(page.findElements(By.cssSelector("#preview img, #preview script"))).isEmpty();
        assertThat(browser.script("return typeof window.pwned;")).isEqualTo("undefined");
        // The page's Content-Security-Policy is in force: an inline script put into it does not run.
        browser.script("var s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
                + " document.body.appendChild(s);");
        assertThat(browser.script("return typeof window.inlineRan;")).as("inline script blocked by the CSP")
                .isEqualTo("undefined");
    }

    @Test
    void syncNowShowsItsProgressWithoutAReload() {
        Connected c = Fixtures.connectedChannel(meta);
        meta.waba(c.wabaId()).templates(List.of(FakeMeta.template("8501", "first", "en_US", "APPROVED", "UTILITY")))
                .delay(Duration.ofMillis(400));
        signIn(c.workspace().apiKey());
        page.findElement(By.linkText("Numbers")).click();
        WebElement row = browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-channel-id='" + c.channelId() + "']")));
        assertThat(row.findElement(By.cssSelector("[data-field=outcome]")).getText()).isEqualTo("Never synced");
        row.findElement(By.tagName("button")).click();
        browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("notice="));
        browser.script("window.notReloaded = true;");
        browser.within(Duration.ofSeconds(10)).until(driver -> driver.findElement(
                By.cssSelector("tr[data-channel-id='" + c.channelId() + "'] [data-field=outcome]")).getText()
                .startsWith("Succeeded: 1 page, 1 read, 1 new"));
        assertThat(browser.script("return window.notReloaded === true;")).as("no reload").isEqualTo(true);
        browser.screenshot("numbers");
    }

    @Test
    void usableFromTheKeyboardAndOnAPhoneWidthScreen() {
        page.manage().deleteAllCookies();
        page.get(console.toString());
        // The key field has the focus on arrival; Tab reaches the button, Shift+Tab comes back; each is labelled.
        assertThat(page.switchTo().activeElement().getAttribute("id")).isEqualTo("api_key");
        assertThat(page.findElement(By.cssSelector("label[for=api_key]")).getText()).isEqualTo("Workspace API key");
        page.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(page.switchTo().activeElement().getText()).isEqualTo("Sign in");
        page.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(page.switchTo().activeElement().getAttribute("id")).isEqualTo("api_key");
        Connected c = Fixtures.syncedChannel(meta, List.of(FakeMeta.realisticTemplate(8601, 2, "APPROVED")));
        page.switchTo().activeElement().sendKeys(c.workspace().apiKey(), Keys.ENTER);
        browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("/console/templates"));

        page.manage().window().setSize(new Dimension(390, 844));
        try {
            page.navigate().refresh();
            Number overflow = (Number) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow.intValue()).as("no sideways scrolling at 390 px").isLessThanOrEqualTo(0);
            page.findElement(By.cssSelector("tr[data-template-id] td a")).click();
            overflow = (Number) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow.intValue()).isLessThanOrEqualTo(0);
            browser.screenshot("template-phone");
        } finally {
            page.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    private void signIn(String apiKey) {
        page.manage().deleteAllCookies();
        page.get(console.toString());
        page.findElement(By.id("api_key")).sendKeys(apiKey);
        page.findElement(By.cssSelector(".sign-in button[type=submit]")).click();
        try {
            browser.within(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("/console/templates"));
        } catch (TimeoutException e) {
            throw new AssertionError("Not signed in; the page says: " + page.findElement(By.tagName("body")).getText(), e);
        }
    }

    private void awaitLive() {
        browser.within(Duration.ofSeconds(5)).until(driver -> "connected".equals(
                ((JavascriptExecutor) driver).executeScript(
                        "return document.body.getAttribute('data-live');")));
    }

    private List<WebElement> rows() {
        return page.findElements(By.cssSelector("#templates tbody tr[data-template-id]"));
    }
}
