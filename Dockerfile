# syntax=docker/dockerfile:1
# The netpress command as an image: `docker run IMAGE stage prune --recipe quick --step 1 ...`.
# linux/amd64 only: the PyTorch natives are the pinned pytorch-native-cpu linux-x86_64 Maven artifact.
# Not built on the project's build machines (no Docker engine there); see README "Running on Kafka and S3".

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# As ./netpress builds: install without tests, then the launcher's runtime dependencies
# (copied as jars rather than listed as ~/.m2 paths, so the image needs no Maven repository).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dmaven.test.skip=true install \
 && mvn -B -ntp -pl launcher dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:17-jre
# A fixed non-root uid, so Kubernetes' runAsNonRoot can check it; its home holds DJL's unpacked natives.
RUN useradd --uid 10001 --create-home --home-dir /home/netpress netpress
WORKDIR /opt/netpress
COPY --from=build /src/launcher/target/classes classes/
COPY --from=build /src/launcher/target/lib lib/
COPY data/fashion-mnist data/fashion-mnist/
USER 10001
# The JVM options of ./netpress and the parent POM (-Dai.djl.offline=true: DJL never downloads, its natives come
# from the jars; -Xss4m), plus netpress.data.dir: the bundled dataset, whatever the working directory.
# NETPRESS_JAVA_OPTS adds JVM options (e.g. -XX:MaxRAMPercentage=75), as with ./netpress.
ENV NETPRESS_JAVA_OPTS=""
ENTRYPOINT ["sh", "-c", "exec java -Dai.djl.offline=true -Xss4m -Dnetpress.data.dir=/opt/netpress/data $NETPRESS_JAVA_OPTS -cp '/opt/netpress/classes:/opt/netpress/lib/*' dev.netpress.cli.Netpress \"$@\"", "netpress"]
EXPOSE 8080
