/**
 * Forms: their configuration ({@code /api/v1/forms}) and the public handler {@code POST /f/{key}}
 * that turns an ordinary HTML form post from any website into a prospect, a FORM_SUBMIT or
 * FORM_ERROR activity and a linked visitor, then redirects only to URLs the form configures.
 */
package dev.kindling.capture.forms;
