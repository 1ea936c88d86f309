package com.personasettings.devlauncher;

import com.personasettings.devstack.KafkaServer;
import com.personasettings.devstack.KafkaUser;
import com.personasettings.schemas.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

/**
 * Who may do what on a secured broker: the product's SCRAM principals and their ACLs, the same as
 * docker-compose.yml's {@code kafka-init} creates. Everything not listed is refused.
 *
 * <ul>
 * <li>{@value #PROCESSOR}: reads the commands topic and the operator topic; writes the commands topic (what it copies
 *     from the operator topic, signed), outcomes, numbers, dead letters and any reply topic
 *     ({@code persona.inbound.replies*}, which it also describes to check a {@code reply-to}); creates the contract's
 *     topics when they are missing; everything on its own internal topics (changelogs, prefixed by its
 *     application id), its consumer group and its transactional ids (the same prefix).</li>
 * <li>{@value #GATEWAY}: writes commands; creates and reads its reply topics
 *     ({@code persona.inbound.replies.gateway*}: instance ids start with "gateway"). No consumer group (it reads its
 *     topic with assign()), nothing on the cluster, nothing of the processor's.</li>
 * <li>{@value #OPERATOR} (the admin CLI): writes the operator topic (provisioning and releasing are accepted only
 *     from there) and the commands topic; creates and reads its reply topic
 *     ({@code persona.inbound.replies.operator}), where the Java client it uses gets its outcomes.</li>
 * <li>{@value #SERVICE}, an example of another service: writes commands (not the operator topic); creates and reads its reply topics
 *     ({@code persona.inbound.replies.service*}) and uses consumer groups named {@code service*}.</li>
 * </ul>
 */
final class KafkaAccess {

    static final String GATEWAY = "gateway";
    static final String PROCESSOR = "processor";
    static final String OPERATOR = "operator";
    static final String SERVICE = "service";
    static final List<String> PRINCIPALS = List.of(GATEWAY, PROCESSOR, OPERATOR, SERVICE);

    private KafkaAccess() {
    }

    /** Creates the principals (new passwords each time) and their ACLs; returns each principal's credentials. */
    static Map<String, KafkaUser> setUp(KafkaServer kafka, String processorApplicationId) {
        Map<String, KafkaUser> users = kafka.createUsers(PRINCIPALS);
        kafka.grant(acls(processorApplicationId));
        return users;
    }

    static List<AclBinding> acls(String processorApplicationId) {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, PROCESSOR, topic(Topics.COMMANDS), READ, WRITE, DESCRIBE, CREATE);
        allow(acls, PROCESSOR, topic(Topics.OPERATOR), READ, DESCRIBE, CREATE);
        for (String output : List.of(Topics.OUTCOMES, Topics.NUMBERS, Topics.COMMANDS_DLQ, Topics.REPLIES)) {
            allow(acls, PROCESSOR, topic(output), WRITE, DESCRIBE, CREATE);
        }
        // Every reply topic a command may name (REPLY_TOPIC_ALLOWLIST's default is persona.inbound.replies*).
        allow(acls, PROCESSOR, prefixed(ResourceType.TOPIC, Topics.REPLIES), WRITE, DESCRIBE);
        // Kafka Streams names its changelogs, its group and its transactional ids after the application id.
        allow(acls, PROCESSOR, prefixed(ResourceType.TOPIC, processorApplicationId + "-"), ALL);
        allow(acls, PROCESSOR, new ResourcePattern(ResourceType.GROUP, processorApplicationId, PatternType.LITERAL), READ);
        allow(acls, PROCESSOR, prefixed(ResourceType.TRANSACTIONAL_ID, processorApplicationId + "-"), WRITE, DESCRIBE);
        // Brokers since 3.0 take WRITE on a topic as leave to produce idempotently; older ones want this.
        allow(acls, PROCESSOR, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), IDEMPOTENT_WRITE);

        allow(acls, GATEWAY, topic(Topics.COMMANDS), WRITE, DESCRIBE);
        allow(acls, GATEWAY, prefixed(ResourceType.TOPIC, Topics.REPLIES + "." + GATEWAY), CREATE, READ, DESCRIBE);

        allow(acls, OPERATOR, topic(Topics.OPERATOR), WRITE, DESCRIBE);
        allow(acls, OPERATOR, topic(Topics.COMMANDS), WRITE, DESCRIBE);
        // The admin CLI waits for its outcomes through the Java client, on persona.inbound.replies.operator.
        allow(acls, OPERATOR, prefixed(ResourceType.TOPIC, Topics.REPLIES + "." + OPERATOR), CREATE, READ, DESCRIBE);

        allow(acls, SERVICE, topic(Topics.COMMANDS), WRITE, DESCRIBE);
        allow(acls, SERVICE, prefixed(ResourceType.TOPIC, Topics.REPLIES + "." + SERVICE), CREATE, READ, DESCRIBE);
        allow(acls, SERVICE, prefixed(ResourceType.GROUP, SERVICE), READ);
        return acls;
    }

    private static void allow(List<AclBinding> acls, String user, ResourcePattern resource, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource,
                    new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }
}
