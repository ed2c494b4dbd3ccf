package dev.haguard.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** A namespace name pattern: {@code *} matches any run of characters, {@code ?} one character. */
public final class Glob {

    private static final Pattern VALID = Pattern.compile("[a-z0-9.*?-]{1,63}");

    private final String text;
    private final Pattern pattern;

    @JsonCreator
    public Glob(String text) {
        if (text == null || !VALID.matcher(text).matches()) {
            throw new PolicyException("\"" + text + "\" is not a namespace glob: use lowercase letters, digits, "
                    + "'-' and '.', with * for any run of characters and ? for one");
        }
        this.text = text;
        this.pattern = Pattern.compile(Pattern.quote(text).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    }

    public boolean matches(String name) {
        return name != null && pattern.matcher(name).matches();
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
