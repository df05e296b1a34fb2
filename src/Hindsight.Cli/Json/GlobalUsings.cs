// The --json output records, visible to every command.
global using Hindsight.Cli.Json;
