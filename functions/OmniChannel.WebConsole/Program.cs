using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using OmniChannel.WebConsole;
using OmniChannel.WebConsole.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The API is on the same origin: the local host serves both, and Static Web Apps forwards /api to the Functions app.
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<AccessKey>();
builder.Services.AddScoped<ConsoleApi>();

await builder.Build().RunAsync();
