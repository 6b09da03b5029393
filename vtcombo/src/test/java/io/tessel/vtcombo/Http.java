package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A daemon's HTTP port as tests read it: status and body of a page, and samples of Prometheus text. */
final class Http {
    private Http() {}

    /** Status code, a space and the body, e.g. {@code 200 ok\n}. */
    static String get(int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        }
    }

    /** The value of one sample line, e.g. {@code name{labels} 1.0}; fails naming the meter's lines when missing. */
    static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        String name = series.substring(0, series.indexOf('{') < 0 ? series.length() : series.indexOf('{'));
        assertTrue(m.find(), () -> series + " missing from " + text.lines().filter(l -> l.startsWith(name)).toList());
        return Double.parseDouble(m.group(1));
    }

    /** The sum of every sample line starting with {@code prefix}. */
    static double sum(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
