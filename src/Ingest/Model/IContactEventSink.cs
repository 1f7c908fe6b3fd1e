namespace Wallboard.Ingest.Model;

/// <summary>Receives the events a source produces, in the order the source read them.</summary>
public interface IContactEventSink
{
    void Accept(in ContactEvent contactEvent);
}
