package com.personasettings.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Java example is the code SeparateJvmIT runs, so it compiles and works as shown. */
class ReadmeExampleTest {

    @Test
    void theReadmesJavaExampleIsTheExampleThatIsCompiledAndRun() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## From another service");
        assertThat(section).as("the README's section").isNotNegative();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find(section)).as("a Java block in it").isTrue();

        String example = Files.readString(Path.of("src/test/java/com/personasettings/client/example/ChangeSettings.java"));

        assertThat(squeeze(example)).contains(squeeze(block.group(1)));
    }

    /** The same code whatever its indentation. */
    private static String squeeze(String code) {
        return code.replaceAll("\\s+", " ").trim();
    }
}
