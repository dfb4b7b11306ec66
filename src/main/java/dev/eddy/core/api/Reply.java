package dev.eddy.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** An operation's answer: writes the response's members into an open JSON object. */
@FunctionalInterface
public interface Reply {
    Reply EMPTY = out -> {
    };

    void write(JsonGenerator out) throws IOException;
}
