package io.orderflow.fulfillment;

import io.orderflow.fulfillment.settings.CrashPointProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class CrashPointsTest {

    @Test
    void armedPointsInAProductionBuild_refuseToStart_namingTheSetting() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new CrashPoints(Set.of(CrashPoints.BEFORE_SHIPMENT), false))
                .withMessageContaining("ORDERFLOW_CRASH_POINTS").withMessageContaining("test hook");
    }

    @Test
    void armedPointsInADevelopmentBuild_areAccepted_andNoPointsAreAcceptedAnywhere() {
        assertThatNoException().isThrownBy(() -> new CrashPoints(Set.of(CrashPoints.BEFORE_SHIPMENT), true));
        assertThatNoException().isThrownBy(() -> new CrashPoints(Set.of(), false));
        CrashPoints.none().reach(CrashPoints.BEFORE_SHIPMENT);
    }

    @Test
    void theDevelopmentLauncherIsFoundWhereTheInfraModuleIsOnTheClassPath() {
        // This module's tests have the infra module (the payment simulator) on their class path, like the tests
        // and the development jar of the application; the production jar has not (ProductionArtifactIT).
        assertThat(org.springframework.util.ClassUtils.isPresent(CrashPoints.DEVELOPMENT_LAUNCHER,
                getClass().getClassLoader())).isTrue();
    }

    @Test
    void armedPointsUnderTheProdProfile_refuseToStart_evenInADevelopmentBuild() {
        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("prod");

        assertThatIllegalStateException()
                .isThrownBy(() -> new CrashPoints(new CrashPointProperties(Set.of(CrashPoints.BEFORE_SHIPMENT)),
                        production))
                .withMessageContaining("ORDERFLOW_CRASH_POINTS").withMessageContaining("prod profile");
        assertThatNoException().isThrownBy(() -> new CrashPoints(new CrashPointProperties(Set.of()), production));
        assertThatNoException().isThrownBy(() -> new CrashPoints(
                new CrashPointProperties(Set.of(CrashPoints.BEFORE_SHIPMENT)), new MockEnvironment()));
    }
}
