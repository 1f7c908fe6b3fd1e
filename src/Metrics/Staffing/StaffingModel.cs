namespace Wallboard.Metrics.Staffing;

/// <summary>The queueing model agents are counted with (docs/staffing.md).</summary>
public enum StaffingModel
{
    /// <summary>M/M/N: callers wait as long as it takes.</summary>
    ErlangC,

    /// <summary>M/M/N+M: callers give up after an exponentially distributed patience.</summary>
    ErlangA,
}

/// <summary>The names of the models on the command line, in configuration and in JSON.</summary>
public static class StaffingModels
{
    public static string Name(StaffingModel model) => model == StaffingModel.ErlangA ? "erlang-a" : "erlang-c";

    public static bool TryParse(string? text, out StaffingModel model)
    {
        switch (text)
        {
            case "erlang-a":
                model = StaffingModel.ErlangA;
                return true;
            case "erlang-c":
                model = StaffingModel.ErlangC;
                return true;
            default:
                model = default;
                return false;
        }
    }
}
