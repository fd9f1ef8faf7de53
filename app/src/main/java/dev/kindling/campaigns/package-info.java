/** Campaigns: the marketing initiatives (channel, cost, dates) that activities and prospects refer to. */
package dev.kindling.campaigns;
