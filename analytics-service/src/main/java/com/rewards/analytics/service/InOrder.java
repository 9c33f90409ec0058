package com.rewards.analytics.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs steps one after the other on the transaction's connection. A poll's hundreds of steps
 * chained with {@code Uni.chain} would subscribe through as many nested operators at once; a
 * concatenating stream starts each step when the one before it is done.
 */
public final class InOrder {
  private InOrder() {}

  public static Uni<Void> run(List<? extends Supplier<? extends Uni<?>>> steps) {
    return Multi.createFrom()
        .iterable(steps)
        .onItem()
        .transformToUniAndConcatenate(Supplier::get)
        .collect()
        .last()
        .replaceWithVoid();
  }
}
