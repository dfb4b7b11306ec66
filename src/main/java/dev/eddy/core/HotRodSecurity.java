package dev.eddy.core;

/**
 * How the Hot Rod client proves who it is and protects the connection: SASL authentication against
 * a server security realm, and TLS with a trust store. An Infinispan Operator cluster has both on by
 * default (SCRAM-SHA-512, realm {@code default}).
 *
 * @param username           null for no authentication
 * @param saslMechanism      SCRAM-SHA-512, DIGEST-SHA-512, PLAIN, ...
 * @param realm              the server's security realm
 * @param tls                whether connections use TLS
 * @param trustStore         the trust store file (PKCS12, JKS, or a PEM certificate file); null: the JVM's
 * @param trustStoreType     PKCS12, JKS or PEM; null: from the file
 * @param sniHostName        the host name sent for SNI (the cluster's service name behind a route); null: none
 */
public record HotRodSecurity(String username, String password, String saslMechanism, String realm, boolean tls,
                             String trustStore, String trustStorePassword, String trustStoreType, String sniHostName) {
    /** Neither authentication nor TLS: the embedded dev stack and tests. */
    public static final HotRodSecurity NONE = new HotRodSecurity(null, null, null, null, false, null, null, null, null);

    public boolean authenticates() {
        return username != null;
    }
}
