package dev.eddy.core.auth;

import dev.eddy.core.error.Errors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Credential part of a signature: {@code AKID/YYYYMMDD/region/service/aws4_request}. The last
 * four parts are the scope the signing key was derived for, so a signature made for another region,
 * service or day is refused before any key is looked up.
 */
public record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {
    public static final String TERMINATOR = "aws4_request";

    /** Splits the Credential value; anything but five parts is an incomplete signature. */
    public static CredentialScope parse(String credential) {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5) {
            throw Errors.credentialNotFiveParts(credential);
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /** The scope as it goes in the string to sign: everything after the access key. */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }

    /** Checks the scope against this endpoint and the request's time, reporting every mismatch at once as AWS does. */
    public void check(String expectedRegion, String expectedService, Instant requestTime) {
        List<String> problems = new ArrayList<>();
        if (!region.equals(expectedRegion)) {
            problems.add(Errors.scopeRegion(region));
        }
        if (!service.equals(expectedService)) {
            problems.add(Errors.scopeService(expectedService));
        }
        if (!terminator.equals(TERMINATOR)) {
            problems.add(Errors.scopeTerminator(terminator));
        }
        String day = RequestTime.day(requestTime);
        if (!date.equals(day)) {
            problems.add(Errors.scopeDate(date, day, RequestTime.basic(requestTime)));
        }
        if (!problems.isEmpty()) {
            throw Errors.invalidCredentialScope(problems);
        }
    }
}
