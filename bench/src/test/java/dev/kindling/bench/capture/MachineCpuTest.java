package dev.kindling.bench.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void busyIsEverythingButIdleAndIoWaitOverAllCoresAndItsShareIsTakenBetweenReadings() {
        MachineCpu before = MachineCpu.parse(List.of(
                "cpu  100 0 50 800 50 0 0 0 0 0",
                "cpu0 50 0 25 400 25 0 0 0 0 0",
                "cpu1 50 0 25 400 25 0 0 0 0 0",
                "intr 1 2 3",
                "ctxt 99"));
        MachineCpu after = MachineCpu.parse(List.of(
                "cpu  250 10 100 930 60 5 5 0 7 0",
                "cpu0 125 5 50 465 30 3 2 0 4 0",
                "cpu1 125 5 50 465 30 2 3 0 3 0",
                "intr 1 2 3"));

        assertThat(before).isEqualTo(new MachineCpu(150, 1000, 2));
        assertThat(after.cores()).isEqualTo(2);
        // 220 busy ticks (150 user, 10 nice, 50 system, 10 interrupts; not the guest time, counted in user) of 360
        assertThat(after.busy() - before.busy()).isEqualTo(220);
        assertThat(after.busySince(before)).isEqualTo(220 / 360.0);
    }

    @Test
    void aFileThatIsNotProcStatIsRefused() {
        assertThatThrownBy(() -> MachineCpu.parse(List.of("MemTotal: 24 GB")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
