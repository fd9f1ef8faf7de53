/** What prospects and visitors do: activity types and the activity value the engine reasons about. */
package dev.kindling.engine.activity;
