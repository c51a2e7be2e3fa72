# The hostile target text of Security.Tests.ps1, dot-sourced both where Pester discovers the tests and where it runs them.
# Text a shell would run: separators, substitutions, pipes, redirections, newlines, quotes, and an option for ping.
function Get-HostileText([string] $Marker) {
    @(
        "127.0.0.1; touch $Marker"
        "127.0.0.1 && touch $Marker"
        "127.0.0.1 | touch $Marker"
        "127.0.0.1`ntouch $Marker"
        "`$(touch $Marker)"
        "``touch $Marker``"
        "127.0.0.1' ; touch $Marker ; '"
        "127.0.0.1 > $Marker"
        '-c 1 127.0.0.1'
        '-f'
        'host;name'
        'host|name'
        'host&name'
        'host$name'
        'host`name'
        'host name'
        'host>name'
        '--help'
    )
}
