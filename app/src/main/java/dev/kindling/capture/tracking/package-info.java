/** The tracking snippet ({@code /t/kindling.js}) and the public collect endpoint that records page views of visitors. */
package dev.kindling.capture.tracking;
