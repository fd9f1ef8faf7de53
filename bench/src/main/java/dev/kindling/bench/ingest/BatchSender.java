package dev.kindling.bench.ingest;

import java.io.IOException;

/** Where W1's senders post a batch of activities: one app ({@link IntakeClient}) or several ({@link SpreadClient}). */
@FunctionalInterface
interface BatchSender {

    IntakeClient.Accepted send(byte[] body) throws IOException, InterruptedException;
}
