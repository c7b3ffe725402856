package io.wabasync.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A console sign-in through the form, as a browser makes it: the session cookie and the form token. */
public record ConsoleSession(String cookie, String csrf) {

    public static final String COOKIE = "wabasync_console";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    public static ConsoleSession signIn(String apiKey) {
        Response signedIn = given().redirects().follow(false).formParam("api_key", apiKey).post("/console/sign-in");
        if (signedIn.statusCode() != 303) {
            throw new AssertionError("Sign-in answered " + signedIn.statusCode() + ": " + signedIn.asString());
        }
        String cookie = signedIn.getCookie(COOKIE);
        String page = given().cookie(COOKIE, cookie).get("/console/templates").then().statusCode(200).extract().asString();
        return new ConsoleSession(cookie, csrfOf(page));
    }

    public static String csrfOf(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("No form token on the page");
        }
        return m.group(1);
    }

    /** A request with this session's cookie that does not follow redirects (a 303 is an answer to check). */
    public RequestSpecification request() {
        return given().redirects().follow(false).cookie(COOKIE, cookie);
    }
}
