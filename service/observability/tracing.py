"""OpenTelemetry traces when an exporter is configured (STRATEGY_OTEL_EXPORTER=otlp or console)."""

from __future__ import annotations

from opentelemetry import trace

tracer = trace.get_tracer("strategy-assistant")


def configure_tracing(app, exporter_name: str | None, *, exporter=None) -> None:
    """Instrument the app and export spans; does nothing when no exporter is configured."""
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
    provider = TracerProvider(resource=Resource.create({"service.name": "strategy-assistant"}))
    provider.add_span_processor(processor)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics")
    global tracer
    tracer = provider.get_tracer("strategy-assistant")
    app.state.tracer_provider = provider
