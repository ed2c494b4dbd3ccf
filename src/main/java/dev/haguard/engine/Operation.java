package dev.haguard.engine;

/** The admission operations of admission.k8s.io/v1. */
public enum Operation {
    CREATE, UPDATE, DELETE, CONNECT
}
