# A Pester suite that checks a set of hosts with PingSweep (the example the README shows).
# Put your own hosts in the lists; CI runs it as is against loopback addresses, which answer on every machine.
BeforeAll {
    Import-Module $(if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { 'PingSweep' })
}

Describe 'Gateways' {
    It '<_> answers' -ForEach @('127.0.0.1', '127.0.0.2') {
        Invoke-ParallelPing $_ -Quiet | Should -BeTrue
    }
}

Describe 'Server subnet' {
    It 'every host of 127.0.0.0/29 answers every ping' {
        Invoke-ParallelPing -Subnet 127.0.0.0/29 | Where-Object Status -ne Alive | Should -BeNullOrEmpty
    }
}
