namespace DevLauncher.AppHost.Migrations;

/// <summary>
/// Aspire's Start, Stop and Restart decide what to offer from the state text, and know only the orchestrator's words:
/// to them "Finished: at 0007, 2 applied" would be a running resource (Stop shown, Start hidden). They are given the
/// state the run's text stands for, so a finished worker offers Start as any finished project does.
/// </summary>
public static class RunStateLifecycleCommands
{
    private static readonly string[] Lifecycle = [KnownResourceCommands.StartCommand, KnownResourceCommands.StopCommand, KnownResourceCommands.RestartCommand];

    /// <summary>Called once the orchestrator has added its commands (before each start; only the first one changes anything).</summary>
    public static void FollowRunStates(IResource worker)
    {
        var annotations = worker.Annotations;
        for (var i = 0; i < annotations.Count; i++)
        {
            if (annotations[i] is ResourceCommandAnnotation command && Lifecycle.Contains(command.Name) && !IsWrapped(command))
            {
                annotations[i] = Wrap(command);
            }
        }
    }

    public static string? OrchestratorState(string? state) => state switch
    {
        not null when state.StartsWith(MigrationRunView.FinishedPrefix, StringComparison.Ordinal) => KnownResourceStates.Finished,
        not null when state.StartsWith(MigrationRunView.FailedPrefix, StringComparison.Ordinal) => KnownResourceStates.Exited,
        _ => state,
    };

    private static bool IsWrapped(ResourceCommandAnnotation command) => command.UpdateState.Target is WrappedState;

    private static ResourceCommandAnnotation Wrap(ResourceCommandAnnotation command) => new(
        command.Name, command.DisplayName, new WrappedState(command.UpdateState).Invoke, command.ExecuteCommand, command.DisplayDescription,
        command.Arguments, command.ConfirmationMessage, command.IconName, command.IconVariant, command.IsHighlighted, command.Visibility, command.ValidateArguments);

    private sealed class WrappedState(Func<UpdateCommandStateContext, ResourceCommandState> inner)
    {
        public ResourceCommandState Invoke(UpdateCommandStateContext context) => inner(new UpdateCommandStateContext
        {
            ResourceSnapshot = context.ResourceSnapshot with { State = context.ResourceSnapshot.State is { } state ? state with { Text = OrchestratorState(state.Text)! } : null },
            Services = context.Services,
        });
    }
}
