package dev.procpool.objects;

/** Answers that are not values: the wait ran out, or the caller cancelled it (interrupted). */
public enum Marker { TIMED_OUT, CANCELLED }
