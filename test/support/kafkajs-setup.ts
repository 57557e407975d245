/**
 * Tests that talk to Kafka with kafkajs directly (published-event probes, chaos lag checks) get
 * the same request-queue fix as the services (libs/platform/src/events/kafkajs-idle-fix.ts):
 * without it, kafkajs 2.2.4 arms a negative timeout that Node 24 reports as a
 * TimeoutNegativeWarning in the test output.
 */
import { applyKafkajsIdleFix } from '../../libs/platform/src/events/kafkajs-idle-fix';

applyKafkajsIdleFix();
