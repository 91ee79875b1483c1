# The .NET bases for a machine that reaches no image registry (scripts/docker-engine.sh builds them): the local Debian
# base (debootstrap) with this machine's installed .NET copied in, as the registry's aspnet and sdk images would be.
# Its context is made by the script: dotnet/runtime (dotnet, host, shared), dotnet/sdk (sdk, packs, sdk-manifests,
# templates), node/ (node and npm, for the web service's front-end packages) and ca/ (the certificate authorities this
# machine adds to Debian's, e.g. an egress proxy's: the build's restore reaches the package feeds as the machine does).
#   --target runtime  ->  local/dotnet-aspnet:10.0      --target sdk  ->  local/dotnet-sdk:10.0
ARG BASE_IMAGE=local/debian:bookworm

FROM ${BASE_IMAGE} AS runtime
# What .NET needs from the system: TLS roots, ICU (globalisation), OpenSSL, time zones (the pages show Europe/London).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata zlib1g libstdc++6 libgcc-s1 \
    && rm -rf /var/lib/apt/lists/*
COPY dotnet/runtime/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && dotnet --list-runtimes
ENV DOTNET_ROOT=/usr/share/dotnet

FROM runtime AS sdk
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY dotnet/sdk/ /usr/share/dotnet/
COPY node/ /usr/local/
RUN dotnet --list-sdks && node --version && npm --version
