package dev.eddy.devstack;

import java.nio.file.Path;
import java.security.Principal;
import java.security.Security;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.infinispan.server.core.security.sasl.SaslAuthenticator;
import org.wildfly.security.auth.callback.CredentialCallback;
import org.wildfly.security.credential.PasswordCredential;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.ClearPassword;
import org.wildfly.security.sasl.scram.ScramSaslServerFactory;

/**
 * Authentication and TLS on the Hot Rod endpoint, as an Infinispan Operator cluster has them: a
 * user/password realm checked by SCRAM (Elytron's server mechanism, what Infinispan Server uses),
 * and a key store for TLS.
 *
 * @param users            user name to password
 * @param keyStore         a PKCS12 key store with the server's key and certificate; null: no TLS
 * @param keyStorePassword its password
 */
public record HotRodUsers(Map<String, String> users, Path keyStore, String keyStorePassword) {
    /** The mechanisms offered; the client picks with {@code sasl-mechanism}. */
    public static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256");
    /** The SASL server name, the Hot Rod client's default. */
    static final String SERVER_NAME = "infinispan";

    public HotRodUsers {
        users = Map.copyOf(users);
    }

    /** Checks a client's proof against the users' passwords, for the mechanism it chose. */
    SaslAuthenticator authenticator() {
        // SCRAM derives its salted password from the clear one through Elytron's password factories,
        // which it finds among the installed providers (Infinispan Server installs them at boot too).
        if (Security.getProvider(WildFlyElytronPasswordProvider.getInstance().getName()) == null) {
            Security.addProvider(WildFlyElytronPasswordProvider.getInstance());
        }
        ScramSaslServerFactory scram = new ScramSaslServerFactory();
        return new SaslAuthenticator() {
            @Override
            public SaslServer createSaslServer(String mechanism, List<Principal> principals, String protocol,
                                               String serverName, Map<String, String> props) throws SaslException {
                return scram.createSaslServer(mechanism, protocol, serverName, props, new Exchange());
            }
        };
    }

    /** One authentication exchange: the mechanism asks for the user's name, then for the password. */
    private final class Exchange implements CallbackHandler {
        private String name;

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback n) {
                    name = n.getDefaultName();
                    n.setName(name);
                } else if (callback instanceof CredentialCallback c
                        && c.isCredentialTypeSupported(PasswordCredential.class, ClearPassword.ALGORITHM_CLEAR)) {
                    String password = name == null ? null : users.get(name);
                    if (password != null) {
                        c.setCredential(new PasswordCredential(
                                ClearPassword.createRaw(ClearPassword.ALGORITHM_CLEAR, password.toCharArray())));
                    }
                } else if (callback instanceof AuthorizeCallback a) {
                    a.setAuthorized(a.getAuthenticationID().equals(a.getAuthorizationID())
                            && users.containsKey(a.getAuthenticationID()));
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }
    }
}
