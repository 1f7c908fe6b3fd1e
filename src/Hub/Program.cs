using Wallboard.Hub.Cli;

return await WallboardCommandLine.InvokeAsync(args).ConfigureAwait(false);
