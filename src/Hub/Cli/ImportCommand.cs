using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;

namespace Wallboard.Hub.Cli;

/// <summary>
/// <c>wallboard import</c>: computes 15-minute counters from queue_log, CDR and JSON event files
/// and writes them to the configured history store. Points overwrite, so importing the same files
/// twice changes nothing, and re-importing a corrected file replaces the intervals it covers.
/// </summary>
internal sealed class ImportCommand : Command
{
    private readonly IConfiguration? _configuration;

    private readonly EventFileInputs _inputs = new(withFormula: false);

    public ImportCommand(IConfiguration? configuration = null)
        : base("import", "Load history (15-minute counters) from queue_log, CDR and JSON event files into the configured store: "
            + "InfluxDB when History:InfluxUrl is set, else SQLite at History:SqlitePath (appsettings.json, or environment "
            + "variables History__InfluxUrl or WALLBOARD_History__InfluxUrl; docs/storage.md). Importing twice changes nothing.")
    {
        _configuration = configuration;
        _inputs.AddTo(this);
        SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.InvocationConfiguration.Error, cancellationToken));
    }

    private async Task<int> RunAsync(ParseResult parseResult, TextWriter errors, CancellationToken cancellationToken)
    {
        var configuration = _configuration ?? CliConfiguration.Build();
        HistoryOptions history;
        try
        {
            history = new HistoryOptions();
            configuration.GetSection(HistoryOptions.SectionName).Bind(history);
            HistoryOptionsValidator.ThrowIfInvalid(history);
            history = HistoryStores.InDataFolder(history, DataFolder.From(configuration), CliConfiguration.Metrics(configuration).TimeZone);
        }
        catch (OptionsValidationException ex)
        {
            await errors.WriteLineAsync($"error: {string.Join("; ", ex.Failures)}").ConfigureAwait(false);
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            // A configuration value that does not convert (e.g. FlushSeconds = "soon").
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (await _inputs.PrepareAsync(parseResult, configuration, IntervalLength.FifteenMinutes, errors).ConfigureAwait(false) is not var (options, names))
        {
            return 2;
        }

        var engine = new KpiEngine(options with { Queues = names.QueueTargets(options) });
        SqliteThreading.TryMultiThread();
        using var newFile = history.UsesInflux ? null : SqliteNewFileImport.TryStart(history.SqlitePath, HistoryStores.Rollups(history));
        var store = newFile?.Store ?? HistoryStores.Create(history, TimeProvider.System, NullLoggerFactory.Instance);
        try
        {
            var where = store is InfluxHistoryStore ? $"InfluxDB {history.InfluxUrl} database {history.Database}" : $"SQLite {history.SqlitePath}";
            var import = new HistoryImport(engine, store);
            var exit = await _inputs.ReadAsync(parseResult, engine, names, errors, cancellationToken, through: import).ConfigureAwait(false);
            if (exit != 0)
            {
                await import.AbandonAsync().ConfigureAwait(false);
                return exit;
            }

            var written = await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (store is InfluxHistoryStore influx && !await influx.TryDrainSpoolAsync(cancellationToken).ConfigureAwait(false))
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"history: InfluxDB unavailable; {influx.Spool.BacklogPoints} points wait in {history.SpoolPath} and are sent by the server's retry loop or the next import")).ConfigureAwait(false);
                return 1;
            }

            // A store from before roll-ups (or with a zone added) gets them over everything it holds.
            if (store is IHistoryRollupBuilder builder && builder.IncompleteRollups.Count > 0)
            {
                await errors.WriteLineAsync($"history: building roll-ups {string.Join(", ", builder.IncompleteRollups)} over the stored intervals").ConfigureAwait(false);
                await builder.BuildRollupsAsync(cancellationToken).ConfigureAwait(false);
            }

            newFile?.Complete();
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"history: {written} points written to {where}")).ConfigureAwait(false);
            return 0;
        }
        catch (InfluxException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            await errors.WriteLineAsync($"error: SQLite {history.SqlitePath}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException ex) when (newFile is not null)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }
}
