using System.CommandLine;
using Hindsight.Cli;

return CliApp.Run(args);
