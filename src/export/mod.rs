//! Exporters: Graph JSON and PowerShell (SDK cmdlets and Invoke-MgGraphRequest).
