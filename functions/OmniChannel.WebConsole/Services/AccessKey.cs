using Microsoft.JSInterop;

namespace OmniChannel.WebConsole.Services;

/// <summary>
/// The key the console presents to the local host's API. It lives in the tab's session storage only, so it is gone when
/// the tab closes and is never written anywhere else. In Azure, Static Web Apps signs people in instead and no key is used.
/// </summary>
public sealed class AccessKey(IJSRuntime js)
{
    private const string StorageName = "omnichannel.key";
    private string? _key;
    private bool _loaded;

    public event Action? Changed;

    public bool HasKey => !string.IsNullOrEmpty(_key);

    public async ValueTask<string?> GetAsync()
    {
        if (!_loaded)
        {
            _key = await js.InvokeAsync<string?>("sessionStorage.getItem", StorageName);
            _loaded = true;
        }

        return string.IsNullOrEmpty(_key) ? null : _key;
    }

    public async ValueTask SetAsync(string? key)
    {
        _key = string.IsNullOrWhiteSpace(key) ? null : key.Trim();
        _loaded = true;
        if (_key is null)
        {
            await js.InvokeVoidAsync("sessionStorage.removeItem", StorageName);
        }
        else
        {
            await js.InvokeVoidAsync("sessionStorage.setItem", StorageName, _key);
        }

        Changed?.Invoke();
    }
}
