/**
 * What Kindling sends out: the public URL its links are built on ({@link dev.kindling.platform.outbound.PublicUrl}),
 * the addresses its webhooks may call ({@link dev.kindling.platform.outbound.OutboundPolicy}) and how webhooks are
 * signed ({@link dev.kindling.platform.outbound.StandardWebhooks}).
 */
package dev.kindling.platform.outbound;
