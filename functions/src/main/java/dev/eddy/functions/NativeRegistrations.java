package dev.eddy.functions;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for the Hot Rod client that no extension registers here (the
 * quarkus-infinispan-client extension, which would, is not served at this Quarkus version): the
 * Elytron SASL client mechanisms it finds through ServiceLoader and creates reflectively (SCRAM,
 * the default of an Infinispan Operator cluster, DIGEST and PLAIN). Unused on the JVM. Not verified
 * by a native build: there is no GraalVM or Mandrel on these machines.
 */
@RegisterForReflection(classNames = {
        "org.wildfly.security.sasl.scram.ScramSaslClientFactory",
        "org.wildfly.security.sasl.digest.DigestClientFactory",
        "org.wildfly.security.sasl.plain.PlainSaslClientFactory",
        "org.wildfly.security.password.WildFlyElytronPasswordProvider"})
final class NativeRegistrations {
    private NativeRegistrations() {
    }
}
