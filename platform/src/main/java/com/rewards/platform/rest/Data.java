package com.rewards.platform.rest;

/** Document 000's success body: {@code {"data": ...}}. */
public record Data<T>(T data) {
  public static <T> Data<T> of(T data) {
    return new Data<>(data);
  }
}
