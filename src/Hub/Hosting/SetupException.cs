namespace Wallboard.Hub.Hosting;

/// <summary>
/// A problem of the machine's setup or configuration that stops a command (a folder it cannot
/// write, a file it cannot open, an address it must not listen on). The command line prints the
/// message as one line, without a stack trace, and exits 2: the message says what to fix.
/// </summary>
internal class SetupException(string message) : Exception(message);
