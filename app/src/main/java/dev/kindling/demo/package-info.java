/**
 * Demo data: on request, fills an empty instance with one year of generated prospects,
 * accounts, campaigns and activities, which then flow through the normal intake.
 */
package dev.kindling.demo;
