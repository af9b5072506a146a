# The product image: one `cdp` entry point; docker-compose.yml runs `cdp init`, `cdp run identity`,
# `cdp run profiles`, `cdp run history` and `cdp run api` from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 cdp
WORKDIR /app

COPY pyproject.toml ./
COPY core ./core
COPY schemas ./schemas
COPY connectors ./connectors
COPY streams ./streams
COPY sinks ./sinks
COPY api ./api
COPY cdp ./cdp
COPY bench ./bench
RUN pip install . && rm -rf /root/.cache

USER cdp
ENV CDP_STATE_DIR=/home/cdp/.cdp
EXPOSE 8080
ENTRYPOINT ["cdp"]
CMD ["run", "all"]
