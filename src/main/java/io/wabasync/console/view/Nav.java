package io.wabasync.console.view;

/** What every signed-in page's frame needs: the form token of the sign-out button and the current section. */
public record Nav(String csrf, String section) {
}
