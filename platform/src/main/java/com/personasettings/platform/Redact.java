package com.personasettings.platform;

import java.util.regex.Pattern;

/**
 * Connection URLs as they may be logged: a password can be written into one (a JDBC URL's {@code password=}
 * parameter, the {@code user:password@} of an HTTP URL), and no log line may hold one.
 */
public final class Redact {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(://)[^/@?#]*@");

    private Redact() {
    }

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String withoutUserInfo = USER_INFO.matcher(url).replaceFirst("$1***@");
        return PASSWORD_PARAMETER.matcher(withoutUserInfo).replaceAll("$1***");
    }
}
