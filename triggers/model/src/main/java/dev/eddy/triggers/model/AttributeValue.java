package dev.eddy.triggers.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One attribute value in DynamoDB JSON: exactly one member is set, named by its type
 * ({@code {"S":"a"}}, {@code {"N":"1.5"}}, {@code {"M":{...}}}, ...). Numbers stay decimal strings,
 * as DynamoDB sends them, so no precision is lost; binary values are base64 on the wire.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttributeValue(
        @JsonProperty("S") String s,
        @JsonProperty("N") String n,
        @JsonProperty("B") byte[] b,
        @JsonProperty("SS") List<String> ss,
        @JsonProperty("NS") List<String> ns,
        @JsonProperty("BS") List<byte[]> bs,
        @JsonProperty("M") Map<String, AttributeValue> m,
        @JsonProperty("L") List<AttributeValue> l,
        @JsonProperty("NULL") Boolean nul,
        @JsonProperty("BOOL") Boolean bool) {

    public static AttributeValue ofString(String value) {
        return new AttributeValue(value, null, null, null, null, null, null, null, null, null);
    }

    public static AttributeValue ofNumber(String value) {
        return new AttributeValue(null, value, null, null, null, null, null, null, null, null);
    }

    public static AttributeValue ofMap(Map<String, AttributeValue> value) {
        return new AttributeValue(null, null, null, null, null, null, value, null, null, null);
    }

    public static AttributeValue ofList(List<AttributeValue> value) {
        return new AttributeValue(null, null, null, null, null, null, null, value, null, null);
    }

    public static AttributeValue ofBool(boolean value) {
        return new AttributeValue(null, null, null, null, null, null, null, null, null, value);
    }

    public static AttributeValue ofNull() {
        return new AttributeValue(null, null, null, null, null, null, null, null, true, null);
    }
}
