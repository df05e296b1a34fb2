using System.CommandLine;
using Hindsight.Cli;
using Hindsight.Cli.Commands;

var root = new RootCommand("hindsight: neural networks on sequences, exact to PyTorch and fast.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return CliErrors.Run(() => root.Parse(args).Invoke());
