# Builds the MotCua executables (intake, workers, the CLI, the partner simulator); the runtime image
# holds them, their resource bundles (motcua_Intake.resources: the OpenAPI document and the console;
# motcua_Domain.resources: the default catalog) and the C libraries only.
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev librabbitmq-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib \
    && mkdir /out && cp -r "$(swift build -c release --show-bin-path)"/motcua* /out/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 librabbitmq4 libcurl4 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 motcua
COPY --from=build /out/ /usr/local/bin/
USER motcua
EXPOSE 8080
CMD ["motcua-intake"]
