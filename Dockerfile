# syntax=docker/dockerfile:1
#
# Ledger service image.
#   docker build -t ledger .
#   docker run -p 8080:8080 -v ledger-data:/var/lib/ledger ledger
#       (no LEDGER_DB_URL: the embedded PostgreSQL keeps its data in /var/lib/ledger)
#   docker compose up
#       (external PostgreSQL, see docker-compose.yml)
#
# Tests are not run here: CI runs them (`./mvnw -B verify`, see .ci/run). The image build
# only packages the service.

############################ build ############################
FROM eclipse-temurin:17-jdk AS build

# Build as an ordinary user: the embedded PostgreSQL that a build step may start refuses
# root, and a user namespace (zonky's way around that) is usually not allowed in a build.
RUN useradd --create-home --uid 10001 --user-group builder
USER builder
WORKDIR /home/builder/src

# ~/.m2 (the Maven distribution the wrapper fetches and the local repository) is a
# BuildKit cache mount, so rebuilds do not download everything again.
COPY --chown=builder:builder . .
RUN --mount=type=cache,target=/home/builder/.m2,uid=10001,gid=10001 \
    sh ./mvnw -B --no-transfer-progress -DskipTests package \
 && jar=ledger-api/target/ledger-api.jar \
 && if [ ! -f "$jar" ]; then \
      echo "expected $jar (ledger-api's <finalName>ledger-api</finalName>); found:" >&2; \
      ls -l ledger-api/target >&2; exit 1; \
    fi \
 && cp "$jar" /home/builder/ledger-api.jar

############################ run ############################
FROM eclipse-temurin:17-jre

# Non-root runtime user; its data directory holds the embedded PostgreSQL when no
# external database is configured (LEDGER_DB_URL unset).
RUN groupadd --system --gid 10001 ledger \
 && useradd --system --uid 10001 --gid ledger --home-dir /var/lib/ledger --no-create-home \
      --shell /usr/sbin/nologin ledger \
 && install -d -o ledger -g ledger -m 0700 /var/lib/ledger
COPY --chmod=0755 ops/healthcheck.sh /usr/local/bin/healthcheck
COPY --from=build --chown=root:root --chmod=0444 /home/builder/ledger-api.jar /app/ledger-api.jar

ENV LEDGER_DATA_DIR=/var/lib/ledger \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Ddisable-axoniq-console-message=true"
USER ledger
WORKDIR /app

# 8080: REST, actuator, OpenAPI. 9090: gRPC.
EXPOSE 8080 9090

HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=5 CMD ["/usr/local/bin/healthcheck"]

ENTRYPOINT ["java", "-jar", "/app/ledger-api.jar"]
