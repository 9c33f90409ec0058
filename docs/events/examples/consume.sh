#!/usr/bin/env bash
# Reads the platform's topics the way an analytics consumer that reads Kafka directly does: every
# record with its partition, offset, time, headers and key (the namespaced user id), and the
# CloudEvent JSON value. Uses the console consumer from the Kafka jars dev/stack installs.
#
#   docs/events/examples/consume.sh [options] [-- extra ConsoleConsumer options]
#
#   --topics REGEX   topics to read (default: every topic analytics-service consumes or produces)
#   --group ID       consumer group; offsets are committed, so a second run resumes where the
#                    first stopped (default: a fresh group each run, which starts over)
#   --latest         only records that arrive from now on (default: from the beginning)
#   --max N          stop after N records
#   --timeout-ms MS  stop when no record arrives for MS milliseconds
#
# Env: KAFKA_BOOTSTRAP (default 127.0.0.1:19092), KAFKA_LIBS (default .stack/kafka/libs of this
# repo), JAVA_HOME (else java on PATH; Kafka's tools need Java 17+).
#
# Example: the drops of the last run of the test suite, one line each, then stop:
#   docs/events/examples/consume.sh --topics 'analytics\.px-events\.v1' --max 5
#
# Consumers must de-duplicate on the CloudEvent id: delivery is at least once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BOOTSTRAP=${KAFKA_BOOTSTRAP:-127.0.0.1:19092}
LIBS=${KAFKA_LIBS:-$ROOT/.stack/kafka/libs}
TOPICS='^(auth\.users|loyalty\.ledger|loyalty\.redemptions|referral\.referrals|payment\.payments|analytics\.px-events|analytics\.dlq)\.v1$'
GROUP="analytics-example-$$-$RANDOM"
FROM=(--from-beginning)
LIMITS=()

while (($#)); do
  case "$1" in
    --topics) TOPICS=$2; shift 2 ;;
    --group) GROUP=$2; shift 2 ;;
    --latest) FROM=(); shift ;;
    --max) LIMITS+=(--max-messages "$2"); shift 2 ;;
    --timeout-ms) LIMITS+=(--timeout-ms "$2"); shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=$(command -v java) || { echo "no java found: set JAVA_HOME" >&2; exit 1; }
fi
compgen -G "$LIBS/kafka-tools-*.jar" >/dev/null ||
  { echo "no Kafka jars in $LIBS: run dev/stack up first, or set KAFKA_LIBS" >&2; exit 1; }

exec "$JAVA" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIBS/*" \
  org.apache.kafka.tools.consumer.ConsoleConsumer \
  --bootstrap-server "$BOOTSTRAP" \
  --include "$TOPICS" \
  --group "$GROUP" \
  --consumer-property isolation.level=read_committed \
  "${FROM[@]}" "${LIMITS[@]}" \
  --formatter-property print.timestamp=true \
  --formatter-property print.partition=true \
  --formatter-property print.offset=true \
  --formatter-property print.headers=true \
  --formatter-property print.key=true \
  --formatter-property key.separator=$'\t' \
  --formatter-property headers.separator=, \
  "$@"
