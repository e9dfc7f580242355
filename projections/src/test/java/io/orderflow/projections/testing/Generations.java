package io.orderflow.projections.testing;

import io.orderflow.projections.generation.ProjectionGenerations;
import org.mockito.Mockito;

/**
 * The served and building generations of a replayable projection, as the generations table would hold them. A reset
 * starts building served + 1; the test itself switches {@link #served} when it wants the rebuild finished.
 */
public final class Generations {

    public int served;
    public int building;

    public ProjectionGenerations mock() {
        ProjectionGenerations mock = Mockito.mock(ProjectionGenerations.class);
        Mockito.when(mock.writing(Mockito.anyString())).thenAnswer(call -> building);
        Mockito.when(mock.serving(Mockito.anyString())).thenAnswer(call -> served);
        Mockito.doAnswer(call -> building = served + 1).when(mock).beginRebuild(Mockito.anyString());
        return mock;
    }
}
