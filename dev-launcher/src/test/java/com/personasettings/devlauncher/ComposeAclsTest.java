package com.personasettings.devlauncher;

import com.personasettings.processor.ProcessorConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml's kafka-init (deploy/kafka/init.sh) grants the product's principals exactly the ACLs that
 * {@code dev --secure} grants (KafkaAccess, tried on a real broker by SecureDevStackIT), so the compose broker,
 * which cannot run here, is secured as the tested one is.
 */
class ComposeAclsTest {

    @Test
    void initShGrantsTheProductsPrincipalsWhatDevSecureGrants() throws IOException {
        List<AclBinding> script = Files.readAllLines(Path.of("..", "deploy", "kafka", "init.sh")).stream()
                .filter(line -> line.startsWith("allow "))
                .flatMap(line -> bindings(line.split(" +")).stream())
                .toList();
        Set<String> product = KafkaAccess.PRINCIPALS.stream().map(name -> "User:" + name).collect(Collectors.toSet());

        assertThat(script).filteredOn(acl -> product.contains(acl.entry().principal()))
                .containsExactlyInAnyOrderElementsOf(KafkaAccess.acls(ProcessorConfig.DEFAULT_APPLICATION_ID));
        // The script creates a SCRAM user for each of the product's principals (and the schema registry).
        String users = Files.readAllLines(Path.of("..", "deploy", "kafka", "init.sh")).stream()
                .filter(line -> line.startsWith("for user in ")).findFirst().orElseThrow();
        assertThat(users.replace(";", "").split(" ")).contains(KafkaAccess.PRINCIPALS.toArray(String[]::new));
    }

    /** {@code allow PRINCIPAL TYPE NAME PATTERN OPERATION...}, as init.sh's function takes it. */
    private static List<AclBinding> bindings(String[] words) {
        ResourceType type = ResourceType.valueOf(words[2].replace('-', '_').toUpperCase(Locale.ROOT));
        ResourcePattern resource = new ResourcePattern(type, words[3], PatternType.valueOf(words[4].toUpperCase(Locale.ROOT)));
        return Arrays.stream(words, 5, words.length)
                .map(operation -> new AclBinding(resource, new AccessControlEntry("User:" + words[1], "*",
                        AclOperation.valueOf(operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT)),
                        AclPermissionType.ALLOW)))
                .toList();
    }
}
