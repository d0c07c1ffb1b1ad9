"""OpenTelemetry traces when an exporter is configured (STRATEGY_OTEL_EXPORTER=otlp or console)."""

from __future__ import annotations

from opentelemetry import trace

NAME = "strategy-assistant"


def default_tracer() -> trace.Tracer:
    """OpenTelemetry's global tracer (a no-op unless the host process installed a provider)."""
    return trace.get_tracer(NAME)


def configure_tracing(app, exporter_name: str | None, *, exporter=None) -> None:
    """Instrument the app and its answer service and export spans; does nothing when no exporter is configured.

    The provider belongs to this app (app.state.tracer_provider) and the answer service it serves: nothing
    global is set or rebound."""
    if exporter is None and not exporter_name:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor

    if exporter is None:
        if exporter_name == "otlp":
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

            exporter = OTLPSpanExporter()  # OTEL_EXPORTER_OTLP_ENDPOINT etc. configure where
        else:
            exporter = ConsoleSpanExporter()
        processor: BatchSpanProcessor | SimpleSpanProcessor = BatchSpanProcessor(exporter)
    else:
        processor = SimpleSpanProcessor(exporter)
    provider = TracerProvider(resource=Resource.create({"service.name": NAME}))
    provider.add_span_processor(processor)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics")
    app.state.tracer_provider = provider
    services = getattr(app.state, "services", None)
    if services is not None:
        services.answers.tracer = provider.get_tracer(NAME)
