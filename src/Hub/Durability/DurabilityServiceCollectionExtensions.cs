using Microsoft.Extensions.Options;
using Wallboard.Hub.Operations;

namespace Wallboard.Hub.Durability;

internal static class DurabilityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DurabilityOptions"/> (section <c>Durability</c>), where state is kept
    /// (<see cref="StatePaths"/>), the checkpoint store and service, and the dead-letter file. The
    /// host registers <see cref="CheckpointService"/> as a hosted service before the pump.
    /// </summary>
    public static IServiceCollection AddDurability(this IServiceCollection services)
    {
        services.AddWallboardOptions<DurabilityOptions>(DurabilityOptions.Section);
        services.AddSingleton<StatePaths>();
        services.AddSingleton(provider => new DeadLetters(
            provider.GetRequiredService<StatePaths>().DeadLetters,
            provider.GetRequiredService<IOptions<DurabilityOptions>>().Value.DeadLetterMaxBytes,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICheckpointStore>(provider => new FileCheckpointStore(
            provider.GetRequiredService<StatePaths>().Checkpoint,
            provider.GetRequiredService<TimeProvider>(),
            TimeSpan.FromMilliseconds(provider.GetRequiredService<IOptions<DurabilityOptions>>().Value.TestWritePauseMilliseconds),
            provider.GetRequiredService<ILogger<FileCheckpointStore>>()));
        services.AddSingleton<CheckpointService>();
        return services;
    }
}
