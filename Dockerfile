# One image for both services; the command picks which: `processor` or `gateway` (see docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The production launcher and what it runs on: its runtime class path holds no development module (dev-launcher,
# devstack, bench, torture, testkit) and no embedded broker or database (ProductionClassPathTest). Those are built
# here only as far as the modules' tests need them, and not copied into the image.
RUN mvn -B -q install -DskipTests -pl launcher -am \
 && mvn -B -q -f launcher/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/launcher/target/classes /app/classes
COPY --from=build /src/launcher/target/lib /app/lib
# Local state stores of the processor; mount a volume here to keep them across container restarts.
ENV PROCESSOR_STATE_DIR=/var/lib/persona-settings/state
VOLUME /var/lib/persona-settings
ENTRYPOINT ["java", "-cp", "/app/classes:/app/lib/*", "com.personasettings.launcher.Launcher"]
CMD ["--help"]
