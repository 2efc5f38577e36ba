#include "ui/apis/ScopeTableModel.h"

#include "core/clock/DurationText.h"

#include <QStringList>

namespace headroom::ui {

ScopeTableModel::ScopeTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ScopeTableModel::setScopes(const scopes::ScopeSet &scopes)
{
    beginResetModel();
    m_scopes = scopes;
    endResetModel();
}

int ScopeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_scopes.scopes().size());
}

int ScopeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ScopeTableModel::windowsText(const scopes::ScopeSpec &scope) const
{
    if (scope.windows().isEmpty())
        return tr("learned from the server");
    QStringList parts;
    for (const scopes::ScopeWindow &w : scope.windows())
        parts << tr("%1 per %2").arg(w.limit).arg(DurationText::format(w.per));
    return parts.join(QStringLiteral(", "));
}

QVariant ScopeTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_scopes.scopes().size())
        return {};
    const scopes::ScopeSpec &scope = m_scopes.scopes().at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Key && scope.keyVariable().isEmpty())
        return tr("One budget for the workspace");
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Scope:
        return scope.name();
    case Match:
        return scope.matchText();
    case Key:
        return scope.keyVariable().isEmpty() ? tr("workspace") : tr("per %1").arg(scope.keyVariable());
    case Windows:
        return windowsText(scope);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ScopeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Scope:
        return tr("Scope");
    case Match:
        return tr("Match");
    case Key:
        return tr("Key");
    case Windows:
        return tr("Limit");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace headroom::ui
