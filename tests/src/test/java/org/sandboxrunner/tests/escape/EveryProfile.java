package org.sandboxrunner.tests.escape;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs an attempt once under each built-in profile, by name ({@code default} first). The names come
 * from {@code BuiltinProfiles.names()}, so a profile added there is attacked too.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("org.sandboxrunner.policies.BuiltinProfiles#names")
@interface EveryProfile {}
