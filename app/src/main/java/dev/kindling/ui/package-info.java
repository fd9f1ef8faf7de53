/**
 * The UI shell: the page layout with its navigation over every capability, sign-in, the home
 * dashboard and the shared "coming in a later release" page for capabilities not built yet.
 */
package dev.kindling.ui;
